"""``python -m listlint``, and the ``listlint`` console script (``start``)."""

import gc
import sys


def start() -> None:
    """Run the command line in a process of its own, then exit (``listlint.cli.console``).

    The cyclic garbage collector is paused from the first import on: loading the modules
    of a run allocates many objects and frees none, and each collection walks every
    object made so far (about 12 million instructions, 3% of a 100-entry check, for
    nothing; start-up is benchmarked). ``listlint.cli.main`` keeps it paused for the run;
    the language server runs its own collections.

    A plain check or fix (``listlint.session.quick``) runs without importing click.
    """
    gc.disable()
    from listlint import lazyre

    lazyre.preload()  # the patterns the imports compile, made from their kept form
    from listlint.session import finish, quick_main

    code = quick_main(sys.argv[1:])
    if code is None:
        from listlint.cli import console

        console()
    else:
        finish(code)


if __name__ == "__main__":
    start()
