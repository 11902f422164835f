using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadExchange.IntegrationTests.Infrastructure;

/// <summary>Status assertions that print the response body on failure, and JSON readers for the wire format.</summary>
public static class HttpAssertions
{
    public static async Task<string> ExpectStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            Assert.Fail($"Expected {(int)expected} {expected} but got {(int)response.StatusCode} {response.StatusCode} " +
                        $"for {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}. Body: {Truncate(body)}");
        return body;
    }

    public static async Task<JsonElement> ExpectJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ExpectStatusAsync(expected);
        Assert.False(string.IsNullOrWhiteSpace(body), $"Expected a JSON body with {(int)expected}.");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>An RFC 7807 answer: the status, the problem+json media type and the status repeated in the body.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.ExpectJsonAsync(expected);
        response.AssertProblemMediaType();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static void AssertProblemMediaType(this HttpResponseMessage response) =>
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"Problem details must be served as application/problem+json (RFC 7807), got '{response.Content.Headers.ContentType?.MediaType}' " +
            $"for {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}.");

    /// <summary>422 problem details; returns the errors map (field path to messages).</summary>
    public static async Task<Dictionary<string, string[]>> ExpectValidationErrorsAsync(this HttpResponseMessage response)
    {
        var errors = await response.ReadValidationErrorsAsync();
        response.AssertProblemMediaType();
        return errors;
    }

    /// <summary>
    /// 422 with an errors map, without the media-type check: for tests that assert the fields first and the
    /// media type last, so a wrong media type does not hide whether the fields are right.
    /// </summary>
    public static async Task<Dictionary<string, string[]>> ReadValidationErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.ExpectJsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(422, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("errors", out var errors), "422 problem details without an errors map.");
        return errors.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray());
    }

    public static void AssertHasError(this Dictionary<string, string[]> errors, string field)
    {
        Assert.True(errors.TryGetValue(field, out var messages) && messages.Length > 0 && messages.All(m => m.Length > 0),
            $"Expected an error for '{field}'; errors were: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}"))}");
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body);

    /// <summary>The raw JSON text, for bodies that cannot be expressed with typed objects (wrong types on purpose).</summary>
    public static Task<HttpResponseMessage> PostRawJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static string Str(this JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null! : element.GetProperty(property).GetString()!;

    public static JsonObject ToNode(this JsonElement element) => JsonNode.Parse(element.GetRawText())!.AsObject();

    private static string Truncate(string body) => body.Length <= 2000 ? body : body[..2000] + "...";
}
