/**
 * The lab: ready-made simulated networks for the commands ({@link netstack4j.lab.Lab}), and every
 * claim of the notes (NOTES.md, N1–N46) as an {@link netstack4j.lab.Experiment} that
 * {@code netstack4j lab} runs ({@link netstack4j.lab.LabCommand}). An experiment builds one or
 * more {@link netstack4j.lab.Bench}es (two hosts on a cable, every frame kept in a
 * {@link netstack4j.lab.FrameLog}), tells its story into a {@link netstack4j.lab.Run}, and returns
 * a {@link netstack4j.lab.Verdict} computed from what the run did. {@link netstack4j.lab.HtmlReport}
 * draws the runs as SVG: {@link netstack4j.lab.LadderDiagram}, {@link netstack4j.lab.SequenceGraph}
 * and {@link netstack4j.lab.QueuePlot}.
 */
package netstack4j.lab;
