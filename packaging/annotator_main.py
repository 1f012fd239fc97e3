"""Entry point of the frozen application: PyInstaller starts here."""
import multiprocessing
import os
import sys


def _give_streams_a_home() -> None:
    # A windowed Windows build has no console: sys.stdout/sys.stderr are None there and any
    # print() would raise. Send them nowhere instead; the self-test writes its report to a file.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


if __name__ == "__main__":
    multiprocessing.freeze_support()
    _give_streams_a_home()
    from annotator.cli import main

    sys.exit(main())
