namespace Gateway.Api.Admin;

/// <summary>The admin API on LiteLLM's paths, so existing scripts keep working. Master key or admin keys only.</summary>
internal static class AdminRoutes
{
    public static void MapAdminEndpoints(this WebApplication app)
    {
        app.MapPost("/key/generate", KeyAdminEndpoints.GenerateAsync);
        app.MapPost("/key/update", KeyAdminEndpoints.UpdateAsync);
        app.MapPost("/key/delete", KeyAdminEndpoints.DeleteAsync);
        app.MapGet("/key/info", KeyAdminEndpoints.InfoAsync);
        app.MapGet("/key/list", KeyAdminEndpoints.ListAsync);
        app.MapPost("/key/regenerate", KeyAdminEndpoints.RegenerateAsync);
        app.MapPost("/key/{key}/regenerate", KeyAdminEndpoints.RegenerateAsync);
        app.MapPost("/key/block", KeyAdminEndpoints.BlockAsync);
        app.MapPost("/key/unblock", KeyAdminEndpoints.UnblockAsync);
        app.MapPost("/team/new", TeamAdminEndpoints.NewAsync);
        app.MapPost("/team/update", TeamAdminEndpoints.UpdateAsync);
        app.MapPost("/team/delete", TeamAdminEndpoints.DeleteAsync);
        app.MapGet("/team/info", TeamAdminEndpoints.InfoAsync);
        app.MapGet("/team/list", TeamAdminEndpoints.ListAsync);
        app.MapPost("/customer/new", TeamAdminEndpoints.NewCustomerAsync);
        app.MapGet("/customer/info", TeamAdminEndpoints.CustomerInfoAsync);
    }
}
