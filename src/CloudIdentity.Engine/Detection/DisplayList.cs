using System.Collections;

namespace CloudIdentity.Engine.Detection;

/// <summary>
/// A read-only list whose text form is its items joined with ", ", so <c>Export-Csv</c> and string conversion show
/// the values (<c>T1098.003, T1078.004</c>) instead of a type name; PowerShell still enumerates it as a list.
/// </summary>
public sealed class DisplayList<T>(IReadOnlyList<T> items) : IReadOnlyList<T>
{
    public T this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();
    public override string ToString() => string.Join(", ", items);
}
