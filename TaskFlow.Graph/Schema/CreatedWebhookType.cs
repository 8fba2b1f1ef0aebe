namespace TaskFlow.Graph.Schema;

/// <summary>createWebhook's payload: the webhook, and the only time its secret is shown.</summary>
public sealed class CreatedWebhookType : ObjectGraphType<CreatedWebhookView>
{
    public CreatedWebhookType()
    {
        Name = "CreatedWebhook";
        Field<NonNullGraphType<WebhookType>>("webhook").Resolve(c => c.Source.Webhook);
        Field<NonNullGraphType<StringGraphType>>("secret")
            .Description("The signing secret (whsec_ + base64), shown only here: store it now, no query returns it again.")
            .Resolve(c => c.Source.Secret);
    }
}
