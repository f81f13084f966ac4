"""Batch checking from files (`claimcheck batch`).

`rows` reads typed input rows, `check` checks them a chunk at a time, `output` writes and
resumes output files, and `job` runs the whole thing for the command line and the benchmark
with an engine: its own local one, or `ray_engine`'s pool of Ray actors (an optional extra).
"""
