namespace CloudIdentity.Engine.Events;

/// <summary>OCSF status of an activity: whether the operation succeeded.</summary>
public enum EventOutcome
{
    Unknown = 0,
    Success = 1,
    Failure = 2,
}
