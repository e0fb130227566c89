# PyInstaller run-time hook for pkgutil (packaging/hooks/rthooks.dat puts it in place of
# PyInstaller's own pyi_rth_pkgutil): the same registration (pkgutil.iter_modules lists the
# modules frozen in the bundle's archive), made when pkgutil is first imported instead of at
# every start, where importing pkgutil cost a few ms of `netapp --version` (issue 20).


def _pyi_rthook():
    import importlib.abc
    import importlib.util
    import sys

    def register(pkgutil):
        import pyimod02_importers  # PyInstaller's bootstrap module

        def _iter_pyi_frozen_finder_modules(finder, prefix=""):
            # The archive's table of contents, as a tree of packages, from the finder's prefix.
            tree_node = pyimod02_importers.get_pyz_toc_tree()
            parts = finder._pyz_entry_prefix.split(".") if finder._pyz_entry_prefix else []
            for part in parts:
                tree_node = tree_node.get(part)
                if not isinstance(tree_node, dict):  # no such path, or a module
                    tree_node = {}
                    break
            for entry_name, entry_data in tree_node.items():
                yield prefix + entry_name, isinstance(entry_data, dict)
            if finder.fallback_finder is not None:
                yield from pkgutil.iter_importer_modules(finder.fallback_finder, prefix)

        pkgutil.iter_importer_modules.register(
            pyimod02_importers.PyiFrozenFinder, _iter_pyi_frozen_finder_modules
        )

    class RegisterOnFirstImport(importlib.abc.MetaPathFinder):
        """Call ``register`` right after pkgutil is loaded, once."""

        def find_spec(self, name, path=None, target=None):
            if name != "pkgutil":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                register(module)

            spec.loader.exec_module = exec_module
            return spec

    if "pkgutil" in sys.modules:  # already loaded by the bootstrap: at once, as PyInstaller's
        register(sys.modules["pkgutil"])
    else:
        sys.meta_path.insert(0, RegisterOnFirstImport())


_pyi_rthook()
del _pyi_rthook
