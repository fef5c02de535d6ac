"""Running the extractor on a sentence written for a rule test."""

from lgkg.extract.records import Extraction
from lgkg.extract.sources import source_from_text


def run(
    extractor,
    text: str,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Extraction:
    """What ``extractor`` reads in ``text`` (a document called test.txt, with ``title``, found
    at ``url``)."""
    return extractor.extract(
        source_from_text(text, name="test.txt", published=published, title=title, url=url)
    )
