package netstack4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code netstack4j} command. */
@Command(name = "netstack4j", mixinStandardHelpOptions = true, version = "netstack4j 0.1.0",
        description = "A TCP/IP stack in Java that you can see into.",
        subcommands = {PingCommand.class, TransferCommand.class, DemoCommand.class, PdrillCommand.class, TortureCommand.class,
                TapCommand.class, netstack4j.lab.LabCommand.class, netstack4j.loadgen.LoadgenCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (2 for usage errors). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line: usage errors print one line and exit with code 2; a command
     * that fails (a file it cannot write, a simulated process that failed) prints one line and
     * exits with code 1, never a stack trace.
     */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Main()));
    }

    /** Installs the error handling of {@link #commandLine()} on {@code cl} (and returns it). */
    static CommandLine configure(CommandLine cl) {
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getOut().flush();
            c.getErr().println(c.getCommandName() + ": " + Failures.describe(ex));
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
