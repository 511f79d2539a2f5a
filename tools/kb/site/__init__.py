"""The static site: an MkDocs plugin (:mod:`kb.site.plugin`) that turns the knowledge base into
pages, and the pure functions that render each page's Markdown (one module per page kind).

Every render function takes the loaded knowledge base (and a :class:`~kb.site.markup.Linker`
for the page being written) and returns Markdown text; none touches the file system, so they
are unit-tested without building a site.
"""
