"""What the tests and the bench share, and nothing else: an engine stand-in that drives Pulumi's real provider host
(``host`` its gRPC plumbing, ``engine`` the engine's step decisions, ``wire`` values on the wire), the one runner of
a scratch project through the real CLI (``projects``), the emulator as a child process (``emulator``), the
serialized providers and type tokens (``providers``), and the inputs and stack config they send (``inputs``). Not
part of the installed package."""
