namespace TaskFlow.Gateway.Health;

/// <summary>One replica of a routed service: its address and the gateway's active probe and passive (traffic) verdicts.</summary>
public sealed record ReplicaHealthReport(string Address, string Active, string Passive);
