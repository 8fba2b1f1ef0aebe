using System.Reflection;
using TaskFlow.Tests.Deployment;

namespace TaskFlow.Tests.Infrastructure;

/// <summary>
/// Every test class says which kind it is with a class-level <c>[Trait("Category", ...)]</c>, so
/// <c>./test.sh --unit</c> (<c>dotnet test --filter Category=Unit</c>) is the whole fast suite, and a unit test never
/// starts the AppHost. A new test class without its category fails here.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TestCategoryTests
{
    private static readonly string[] Kinds = ["Unit", "Distributed", "Deployment"];

    private static readonly Type[] SharedAppFixtures = [typeof(TaskFlowAppFixture), typeof(DeploymentFixture), typeof(ServiceMetricsFixture)];

    public static IEnumerable<Type> TestClasses(Assembly assembly) =>
        assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } &&
            t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)));

    public static IReadOnlyList<string> CategoriesOf(Type testClass) =>
        [.. testClass.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(TraitAttribute) && a.ConstructorArguments.Count == 2 &&
                        Equals(a.ConstructorArguments[0].Value, "Category"))
            .Select(a => a.ConstructorArguments[1].Value as string ?? string.Empty)];

    [Fact]
    public void Every_test_class_has_exactly_one_known_category()
    {
        var classes = TestClasses(typeof(TestCategoryTests).Assembly).ToList();
        Assert.NotEmpty(classes);
        var wrong = classes
            .Where(t => CategoriesOf(t) is not [var kind] || !Kinds.Contains(kind))
            .Select(t => $"{t.FullName}: [{string.Join(", ", CategoriesOf(t))}]")
            .ToList();
        Assert.True(wrong.Count == 0,
            "test classes need exactly one class-level [Trait(\"Category\", \"Unit\" | \"Distributed\" | \"Deployment\")]:\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void Unit_test_classes_use_no_shared_app_and_app_tests_are_not_unit()
    {
        var wrong = new List<string>();
        foreach (var type in TestClasses(typeof(TestCategoryTests).Assembly))
        {
            var kind = CategoriesOf(type).FirstOrDefault();
            var collection = type.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(CollectionAttribute))
                .Select(a => a.ConstructorArguments[0].Value as string)
                .FirstOrDefault();
            var fixtures = type.GetConstructors()
                .SelectMany(c => c.GetParameters())
                .Select(p => p.ParameterType)
                .Concat(type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>)).Select(i => i.GetGenericArguments()[0]))
                .Where(SharedAppFixtures.Contains)
                .ToList();
            if (kind == "Unit" && (collection is not null || fixtures.Count > 0))
            {
                wrong.Add($"{type.FullName} is Unit but uses {collection ?? string.Join(", ", fixtures.Select(f => f.Name))}");
            }

            if (collection == DistributedAppCollection.Name && kind != "Distributed")
            {
                wrong.Add($"{type.FullName} shares the distributed app but is {kind ?? "uncategorised"}");
            }

            if (collection == DeploymentCollection.Name && kind != "Deployment")
            {
                wrong.Add($"{type.FullName} shares the deployment fixture but is {kind ?? "uncategorised"}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }
}
