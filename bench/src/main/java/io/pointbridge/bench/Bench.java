package io.pointbridge.bench;

/** Entry point of the benchmark suite; {@code bench/run} calls it. */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) {
    System.out.println("Pointbridge benchmarks: not yet wired");
  }
}
