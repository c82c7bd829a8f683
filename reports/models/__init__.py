"""Models of the reports app. Their tables keep the names they had under the portal app."""

from .exports import ExportJob
from .performance import PerformanceReport

__all__ = ["ExportJob", "PerformanceReport"]
