using System.Security.Cryptography;
using System.Text;
using Gateway.Core.OpenAI;
using Gateway.Core.Providers;
using Gateway.Core.Usage;

namespace Gateway.Providers.Mock;

/// <summary>Deterministic embeddings for the mock model: 8 floats from the SHA-256 of each input, normalised to unit
/// length, so the same text always embeds the same and a first run needs no key.</summary>
internal static class MockEmbeddings
{
    public const int Dimensions = 8;

    public static EmbeddingResponse Embed(EmbeddingCall call)
    {
        var inputs = call.Request.Texts ?? call.Request.Root.GetProperty("input").EnumerateArray().Select(e => e.GetRawText()).ToList();
        var vectors = inputs.Select(Vector).ToList();
        var tokens = Math.Max(inputs.Count, inputs.Sum(t => (long)(t.Length + 3) / 4));
        var body = EmbeddingResponseWriter.Write(call.Deployment.ModelId, vectors, call.Request.Base64, tokens);
        return new EmbeddingResponse(body, new TokenUsage(tokens, 0), call.Deployment.ModelId);
    }

    internal static float[] Vector(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var vector = new float[Dimensions];
        for (var i = 0; i < Dimensions; i++)
            vector[i] = (BitConverter.ToInt32(hash, i * 4) / (float)int.MaxValue);
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < Dimensions; i++)
            vector[i] /= norm;
        return vector;
    }
}
