using Gateway.Core.Storage;

namespace Gateway.Core.Governance;

/// <summary>Who is calling: the master key, a virtual key (with its team), or anyone when no master key is set.</summary>
public sealed record Caller(string KeyId, CallerRole Role, VirtualKeyRecord? Key = null, TeamRecord? Team = null)
{
    public static readonly Caller Master = new("master", CallerRole.Master);
    public static readonly Caller Local = new("local", CallerRole.Master);

    public bool CanCallModels => Role is CallerRole.Master or CallerRole.Admin or CallerRole.Llm;
    public bool CanAdminister => Role is CallerRole.Master or CallerRole.Admin;
    public bool CanReadReports => Role is CallerRole.Master or CallerRole.Admin or CallerRole.Reports;
}

/// <summary>A virtual key's <c>permissions</c>: <c>llm</c> calls models, <c>reports</c> reads spend only, <c>admin</c> does both and manages keys.</summary>
public enum CallerRole
{
    Master,
    Admin,
    Llm,
    Reports,
}

public static class CallerRoles
{
    public static readonly IReadOnlyList<string> Names = ["llm", "reports", "admin"];

    public static CallerRole Parse(string permissions) => permissions switch
    {
        "admin" => CallerRole.Admin,
        "reports" => CallerRole.Reports,
        _ => CallerRole.Llm,
    };
}
