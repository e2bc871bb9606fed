"""The shared Aktenplan of a Verbund (see issue: the shared Aktenplan). Models follow."""
