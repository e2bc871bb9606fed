"""Dienstanweisungen, Leitfäden and Schulungen of a Verbund (see issue: Schulung). Models follow."""
