using Gateway.Api.Hosting;
using Gateway.Core.Configuration;

try
{
    var app = GatewayApp.Create(GatewayHostOptions.FromArgs(args, Environment.GetEnvironmentVariable));
    await app.RunAsync();
    return 0;
}
catch (ConfigException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
