using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Functions.Api;

namespace ViralForge.Functions.Tests.Api;

/// <summary>/v1/openapi.json describes every mapped /v1 route and method, and its references resolve.</summary>
public sealed class ApiOpenApiTests
{
    [Fact]
    public async Task Every_mapped_v1_route_and_method_is_in_the_document_and_nothing_else_is()
    {
        await using var api = await ApiHost.StartAsync();
        var document = JsonNode.Parse(ApiOpenApi.Json)!;
        var mapped = api.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(JobsApi.Prefix + "/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m.ToLowerInvariant()} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key} {p.Key}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal("3.1.0", (string)document["openapi"]!);
        Assert.True(mapped.Count >= 11, string.Join(", ", mapped));
        Assert.Equal(mapped, documented);
    }

    [Fact]
    public void Every_reference_resolves_and_every_schema_is_used()
    {
        var document = JsonNode.Parse(ApiOpenApi.Json)!;
        var references = new List<string>();
        Collect(document, references);

        foreach (var reference in references.Distinct())
        {
            Assert.StartsWith("#/", reference, StringComparison.Ordinal);
            var node = document;
            foreach (var part in reference[2..].Split('/'))
            {
                node = node?[part];
            }
            Assert.True(node is not null, $"{reference} does not resolve");
        }
        var schemas = document["components"]!["schemas"]!.AsObject().Select(s => s.Key);
        Assert.Empty(schemas.Except(references.Select(r => r.Split('/')[^1])));
    }

    [Fact]
    public void The_row_schema_lists_exactly_the_fields_the_api_takes()
    {
        var row = JsonNode.Parse(ApiOpenApi.Json)!["components"]!["schemas"]!["Row"]!["properties"]!.AsObject();

        Assert.Equal(ApiRows.Fields.Keys.Order(StringComparer.Ordinal), row.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_operation_but_the_document_itself_says_its_scope_and_its_refusals()
    {
        var paths = JsonNode.Parse(ApiOpenApi.Json)!["paths"]!.AsObject();
        foreach (var (path, item) in paths.Where(p => p.Key != JobsApi.Prefix + "/openapi.json"))
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.True((string?)operation!["x-scope"] is "read" or "write", $"{method} {path} has no x-scope");
                foreach (var status in new[] { "401", "403", "429" })
                {
                    Assert.True(operation["responses"]![status] is not null, $"{method} {path} does not list {status}");
                }
            }
        }
    }

    private static void Collect(JsonNode? node, List<string> references)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (name == "$ref")
                    {
                        references.Add((string)value!);
                    }
                    else
                    {
                        Collect(value, references);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, references);
                }
                break;
        }
    }
}
