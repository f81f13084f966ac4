"""Natural-language inference: the cross-encoder that decides verdicts."""
