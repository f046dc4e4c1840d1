"""The one core: every face's function is exported from the package."""

from __future__ import annotations


def test_the_package_exports_every_pipeline_function() -> None:
    import gendan_xl
    import gendan_xl.pipeline

    assert set(gendan_xl.pipeline.__all__) <= set(gendan_xl.__all__)
    for name in gendan_xl.pipeline.__all__:
        assert getattr(gendan_xl, name) is getattr(gendan_xl.pipeline, name)
