"""What merging two organizations or contacts moves of documents (partners.merge)."""

from documents.models import Document
from partners.merge import Link, links_register

links_register(
    organization=[Link(Document, "organization", "documents")],
    contact=[Link(Document, "contact", "documents")],
)
