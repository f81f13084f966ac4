"""Models and their runtimes: the embedder and the NLI cross-encoders.

Owns the shipped weight format (`weights`), the PyTorch classes (`embedder`, `nli`), the lean
ONNX Runtime path (`onnx_session`, `token_batches`, `onnx_embedder`, `onnx_nli`) and the choice
between them (`runtime`). Everything that runs a model goes through `runtime`.

May import: `bot.config`, `bot.errors`, `bot.fileio`. Nothing here knows about claims or
verdicts, so every stage above can use it.
"""
