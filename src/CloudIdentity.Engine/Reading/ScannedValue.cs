using System.Text.Json;

namespace CloudIdentity.Engine.Reading;

/// <summary>One value found by <see cref="JsonRecordScanner"/>: a record candidate, or a problem.</summary>
public readonly record struct ScannedValue(
    JsonElement Value,
    string? Container,
    long Index,
    long ByteOffset,
    IReadOnlyDictionary<string, JsonElement>? Envelope);
