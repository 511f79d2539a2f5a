"""The static site: one generator (:mod:`kb.site.generator`) that turns the knowledge base into
everything the site needs, two adapters that hand it to a builder (the MkDocs plugin
:mod:`kb.site.plugin`, in memory; :mod:`kb.site.folder`, a folder for Zensical or any builder
that reads mkdocs.yml), and the pure functions that render each page's Markdown (one module
per page kind).

Every render function takes the loaded knowledge base (and a :class:`~kb.site.markup.Linker`
for the page being written) and returns Markdown text; none touches the file system, so they
are unit-tested without building a site.
"""
