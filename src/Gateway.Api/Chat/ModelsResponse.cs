using System.Text.Json;
using Gateway.Core.OpenAI;
using Gateway.Core.Routing;

namespace Gateway.Api.Chat;

/// <summary>The model list never changes while the process runs, so it is serialised once at startup.</summary>
internal sealed class ModelsResponse
{
    private readonly Dictionary<string, byte[]> _byId;

    public ModelsResponse(ModelRegistry registry, TimeProvider time)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var models = registry.GroupNames.Select(name => new ModelObject(name, created, "gateway")).ToList();
        List = JsonSerializer.SerializeToUtf8Bytes(new ModelList(models), OpenAIJsonContext.Default.ModelList);
        _byId = models.ToDictionary(m => m.Id, m => JsonSerializer.SerializeToUtf8Bytes(m, OpenAIJsonContext.Default.ModelObject), StringComparer.Ordinal);
    }

    public byte[] List { get; }

    public bool TryGet(string id, out byte[] body) => _byId.TryGetValue(id, out body!);
}
