// Test classes for the manifest's reflection, not tests of this project: they are internal, so
// xunit does not run them.
#pragma warning disable xUnit1000 // Test classes must be public

namespace PaxosLabs.Grading
{
    /// <summary>
    /// Stands in for the real <c>PaxosLabs.Grading.GradedAttribute</c> (which this project does not
    /// reference): the manifest matches attributes by their full type name, as it must for an
    /// assembly loaded in another context.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class GradedAttribute(string task, int points) : Attribute
    {
        public string Task { get; } = task;

        public int Points { get; } = points;

        public Visibility Visibility { get; set; }
    }

    internal enum Visibility
    {
        AfterPublished,
        Visible,
        AfterDueDate,
        Hidden,
    }
}

namespace PaxosLabs.Grader.Tests.Grading.Samples
{
    using PaxosLabs.Grading;

    internal sealed class GoodTests
    {
        public static TheoryData<int> Numbers => [1, 2, 3];

        [Fact]
        [Graded("1.2", 3)]
        public void A_fact()
        {
        }

        [Theory]
        [Graded("1.10", 2, Visibility = Visibility.Visible)]
        [InlineData(1)]
        [InlineData(2)]
        public void An_inline_theory(int n) => Assert.True(n > 0);

        [Theory]
        [Graded("2.1", 1, Visibility = Visibility.Hidden)]
        [MemberData(nameof(Numbers))]
        public void A_member_data_theory(int n) => Assert.True(n > 0);

        /// <summary>Names the default value: still its own choice, which --visibility must not replace.</summary>
        [Fact]
        [Graded("2.2", 1, Visibility = Visibility.AfterPublished)]
        public void Explicitly_after_published()
        {
        }
    }

    internal abstract class AbstractBase
    {
        [Fact]
        [Graded("3.1", 4)]
        public void Inherited()
        {
        }
    }

    internal sealed class Derived : AbstractBase
    {
    }

    internal sealed class UngradedTests
    {
        [Fact]
        public void Forgot_the_points()
        {
        }
    }

    internal sealed class BadlyGradedTests
    {
        [Fact]
        [Graded("1", 2)]
        public void Task_without_a_number()
        {
        }

        [Fact]
        [Graded("1.1", 0)]
        public void No_points()
        {
        }

        [Fact(DisplayName = "a pretty name")]
        [Graded("1.1", 1)]
        public void Renamed()
        {
        }

        [Graded("1.1", 1)]
        public void Graded_but_not_a_test()
        {
        }
    }
}
