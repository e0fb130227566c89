# PyInstaller run-time hook for multiprocessing (packaging/hooks/rthooks.dat puts it in place of
# PyInstaller's own pyi_rth_multiprocessing): the same patch (a frozen freeze_support that runs
# a spawned child or a resource-tracker helper), applied when multiprocessing is first imported
# instead of at every start. PyInstaller's hook imports multiprocessing, multiprocessing.spawn
# and subprocess to do it: about 10 ms of every frozen start, `netapp --version` included,
# although netapp itself never uses multiprocessing (issue 20). A program can only reach the
# patched freeze_support through the multiprocessing module, so applying it at that import is
# the same as applying it at start.


def _pyi_rthook():
    import importlib.abc
    import importlib.util
    import sys

    def patch(multiprocessing):
        import multiprocessing.spawn
        from subprocess import _args_from_interpreter_flags

        multiprocessing.process.ORIGINAL_DIR = None  # as PyInstaller's hook: no chdir in children

        def _divert_multiprocessing_helper():
            # A resource tracker or forkserver started as `<exe> <flags> -c "from multiprocessing…"`.
            try:
                command_switch_idx = sys.argv.index("-c")
            except ValueError:
                return
            if set(sys.argv[1:command_switch_idx]) != set(_args_from_interpreter_flags()):
                return
            if len(sys.argv) <= command_switch_idx + 1:
                return
            command = sys.argv[command_switch_idx + 1]
            prefixes = (
                "from multiprocessing.resource_tracker import main",
                "from multiprocessing.forkserver import main",
                "import sys; from multiprocessing.forkserver import main",
            )
            if not command.startswith(prefixes):
                return
            exec(command)
            sys.exit()

        def _freeze_support():
            _divert_multiprocessing_helper()
            if multiprocessing.spawn.is_forking(sys.argv):
                kwds = {}
                for arg in sys.argv[2:]:
                    name, value = arg.split("=")
                    kwds[name] = None if value == "None" else int(value)
                multiprocessing.spawn.spawn_main(**kwds)
                sys.exit()

        multiprocessing.freeze_support = multiprocessing.spawn.freeze_support = _freeze_support

    class PatchOnFirstImport(importlib.abc.MetaPathFinder):
        """Apply ``patch`` right after multiprocessing is loaded, once."""

        def find_spec(self, name, path=None, target=None):
            if name != "multiprocessing":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                patch(module)

            spec.loader.exec_module = exec_module
            return spec

    if (
        "multiprocessing" in sys.modules
    ):  # already loaded by the bootstrap: at once, as PyInstaller's
        patch(sys.modules["multiprocessing"])
    else:
        sys.meta_path.insert(0, PatchOnFirstImport())


_pyi_rthook()
del _pyi_rthook
