import pytest

from core.extraction import get_extractor
from core.extraction.local import LocalExtractor
from core.extraction.openai import OpenAIExtractor
from core.settings import ConfigError, Settings


def test_the_local_extractor_is_the_default() -> None:
    assert isinstance(get_extractor(Settings(extractor="local")), LocalExtractor)


def test_extractor_openai_picks_the_openai_back_end() -> None:
    settings = Settings(extractor="openai", openai_api_key="test-key")

    assert isinstance(get_extractor(settings), OpenAIExtractor)


def test_the_openai_extractor_needs_an_api_key() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        get_extractor(Settings(extractor="openai", openai_api_key=None))
