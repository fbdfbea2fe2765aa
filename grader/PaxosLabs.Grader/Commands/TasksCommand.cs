using System.CommandLine;
using PaxosLabs.Grader.Skeletons;

namespace PaxosLabs.Grader.Commands;

/// <summary><c>tasks</c>: every task id with its location and instruction, in task order.</summary>
internal static class TasksCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("tasks", "List every task as `id  path:line  instruction`, sorted by task id.");
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var tasks = SkeletonGenerator.Tasks(common.ResolveRoot(parseResult));
            var idWidth = tasks.Count == 0 ? 0 : tasks.Max(t => t.Id.ToString().Length);
            foreach (var task in tasks)
            {
                output.WriteLine($"{task.Id.ToString().PadRight(idWidth)}  {task.Path}:{task.Line}  {task.Instruction}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
