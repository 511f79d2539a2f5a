"""The page of one discussion: a post and its whole comment tree, to full depth.

Each comment appears once, nested under the comment it replies to, in reading order (date,
then id), with who wrote it, when, a one-line gist and the claims the atlas draws from it (with
what they support or object to). Each comment has an anchor (:func:`comment_anchor`), so
source pages, sense cards and claims link straight to it.
"""

from __future__ import annotations

from kb.site.context import (
    Comment,
    Discussion,
    SiteData,
    display_date,
    participant,
    source_node,
    source_title,
)
from kb.site.entry_parts import facts
from kb.site.markup import (
    Linker,
    bullet_list,
    comment_anchor,
    escape,
    external_link,
    first_sentence,
    join_blocks,
    page_start,
    source_path,
    thread_path,
)
from kb.site.term_page import stance_of


def thread_title(discussion: Discussion) -> str:
    """ "Thread: <post title>"; a root that is itself a discussion (kind ``other``, e.g. "Comment
    thread: are mesa-optimizers general?") keeps its own title."""
    root = discussion.root
    return root.title if root.type == "other" else f"Thread: {root.title}"


def render_thread(data: SiteData, discussion: Discussion) -> str:
    """The Markdown of ``threads/<root id>.md``."""
    root = discussion.root
    linker = Linker(thread_path(root.id))
    count = sum(1 for _ in discussion.walk())
    return join_blocks(
        page_start(thread_title(discussion)),
        facts(
            [
                root_row(data, linker, root),
                ("By", escape(participant(root))),
                ("Date", escape(display_date(root.date))),
                (
                    "Original",
                    external_link("read it where it was published", root.url) if root.url else "",
                ),
            ]
        ),
        escape(first_sentence(root.description, 300)) if root.description else "",
        f"{count} comment{'s' if count != 1 else ''}. Replies are indented under the comment "
        "they answer; each comment shows the claims this atlas draws from it.",
        '<div class="kb-thread" markdown>\n\n'
        + "\n\n".join(comment_block(data, linker, c) for c in discussion.comments)
        + "\n\n</div>",
    )


def root_row(data: SiteData, linker: Linker, root) -> tuple[str, str]:
    """The facts' first row: the post the thread answers, linked by its title; a root that is
    itself the discussion has the page's title already, so its link says what it leads to."""
    if root.type == "other":
        return ("Details", linker.link("about this excerpt", source_path(root.id)))
    return ("Post", linker.source(data.base, root.id))


def comment_block(data: SiteData, linker: Linker, comment: Comment) -> str:
    """One comment and, nested inside it, its replies (HTML blocks with Markdown inside)."""
    source = comment.source
    head = [f"**{escape(participant(source))}**"]
    if source.date:
        head.append(escape(display_date(source.date)))
    head.append(linker.link("details", source_path(source.id)))
    if source.url:
        head.append(external_link("original", source.url))
    parts = [f'<p class="kb-comment-head" markdown>{" · ".join(head)}</p>']
    if source.title and not source.authors:
        parts.append(f'<p class="kb-comment-title" markdown>{escape(source.title)}</p>')
    if source.description:
        parts.append(
            f'<p class="kb-gist" markdown>{escape(first_sentence(source.description))}</p>'
        )
    claims = comment_claims(data, linker, source.id)
    if claims:
        parts.append(f'<div class="kb-comment-claims" markdown>\n\n{claims}\n\n</div>')
    parts.extend(comment_block(data, linker, reply) for reply in comment.replies)
    inner = "\n\n".join(parts)
    return (
        f'<div class="kb-comment" id="{comment_anchor(source.id)}" markdown>\n\n{inner}\n\n</div>'
    )


def comment_claims(data: SiteData, linker: Linker, source_id: str) -> str:
    """The claims drawn from a comment, each with what it supports or objects to."""
    node = source_node(source_id)
    claims = [n for n in data.incoming(node, "cites") if n.startswith("claim:")]
    return bullet_list(
        [f"*Claim:* {linker.node(data.base, c)}{stance_of(data, linker, c)}" for c in claims]
    )


__all__ = ["render_thread", "source_title", "thread_title"]
