"""`python -m bench.pipeline [--long]`: speed and memory of the session pipeline's stages."""

from __future__ import annotations

import argparse

from bench.pipeline import transcription


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__)
    parser.add_argument("--long", action="store_true", help="also transcribe a ~55-minute session")
    arguments = parser.parse_args()
    transcription.main(long=arguments.long)


if __name__ == "__main__":
    main()
