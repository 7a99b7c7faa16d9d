using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ViralForge.Core.Stages;

/// <summary>Turns stage outputs into stored JSON and back, through the source-generated <see cref="CoreJson"/>.</summary>
public static class StageJson
{
    public static JsonElement ToElement<T>(T value) =>
        JsonSerializer.SerializeToElement(value, Info<T>());

    public static T FromElement<T>(JsonElement element) =>
        element.Deserialize(Info<T>()) ?? throw new InvalidDataException($"Stored {typeof(T).Name} is null.");

    private static JsonTypeInfo<T> Info<T>() =>
        (JsonTypeInfo<T>?)CoreJson.Default.GetTypeInfo(typeof(T))
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered in CoreJson.");
}
