using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace TaskFlow.MongoStandIn.Wire;

/// <summary>A message that violates the wire protocol: the connection is closed.</summary>
internal sealed class WireFormatException(string message) : Exception(message);
