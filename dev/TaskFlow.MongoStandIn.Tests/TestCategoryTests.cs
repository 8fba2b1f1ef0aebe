using System.Reflection;

namespace TaskFlow.MongoStandIn.Tests;

/// <summary>
/// The stand-in's tests run in-process in seconds, so each class is <c>[Trait("Category", "Unit")]</c> and belongs to
/// the fast suite (<c>./test.sh --unit</c>). A new test class without it fails here.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TestCategoryTests
{
    [Fact]
    public void Every_test_class_is_in_the_unit_category()
    {
        var classes = typeof(TestCategoryTests).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } &&
                        t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                            .Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))
            .ToList();
        Assert.NotEmpty(classes);
        var missing = classes
            .Where(t => t.GetCustomAttributesData().Count(a => a.AttributeType == typeof(TraitAttribute) &&
                        Equals(a.ConstructorArguments[0].Value, "Category") && Equals(a.ConstructorArguments[1].Value, "Unit")) != 1)
            .Select(t => t.FullName)
            .ToList();
        Assert.True(missing.Count == 0, "missing [Trait(\"Category\", \"Unit\")]: " + string.Join(", ", missing));
    }
}
