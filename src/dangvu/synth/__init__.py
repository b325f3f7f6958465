"""Synthetic data (issue 6, item 4): a deterministic organisation tree with ten years of
history and members whose lifecycle obeys the rules, at the bloc, province or national scale
(`dangvu synth`). The benchmarks under bench/ build their data with it."""
