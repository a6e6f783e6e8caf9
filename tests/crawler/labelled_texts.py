"""The bundled story's labelled texts (tests/crawler/stories/kutcher.toml), for the replica web.

The irrelevant texts include near-misses: Kutcher news without Sora, Sora news without Kutcher,
and other stories about AI in Hollywood.
"""

from tests.crawler.stories import load_stories

_BUNDLED = next(story for story in load_stories() if story.key == "kutcher")
RELEVANT = _BUNDLED.on
IRRELEVANT = _BUNDLED.off
