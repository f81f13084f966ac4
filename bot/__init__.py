"""claimcheck: a local claim checker for statements about deep learning."""

__version__ = "0.1.0"
