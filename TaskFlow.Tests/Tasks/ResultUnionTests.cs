using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskFlow.Tasks.Apis;

namespace TaskFlow.Tests.Tasks;

/// <summary>How <c>TasksApi</c> puts a failure's answer into a route's own <c>Results&lt;…&gt;</c>.</summary>
[Trait("Category", "Unit")]
public sealed class ResultUnionTests
{
    [Fact]
    public void A_declared_result_goes_into_the_union_as_itself()
    {
        var problem = TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed);

        Assert.IsType<NotFound>(ResultUnion<Results<Ok<string>, NotFound, ProblemHttpResult>>.From(TypedResults.NotFound()).Result);
        Assert.Same(problem, ResultUnion<Results<Ok<string>, NotFound, ProblemHttpResult>>.From(problem).Result);
    }

    [Fact]
    public void A_result_the_union_does_not_declare_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => ResultUnion<Results<Ok<string>, NotFound>>.From(TypedResults.Forbid()));
}
