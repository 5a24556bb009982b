"""The dynamic-provider host with import: ``python -m pulumi.dynamic`` plus the one thing it cannot do.

Pulumi's engine imports a resource (``ResourceOptions(import_=uuid)``, ``pulumi import``) by calling ``Read``
with nothing but the id: no old state and no inputs. The SDK's host finds the provider to run in the pickle
stored under ``__provider`` in those properties, so every import of a dynamic resource fails with
``KeyError: '__provider'`` (pulumi/pulumi#16175, open). This host runs the SDK's own server unchanged and, for
an import ``Read`` of one of our resource types, first supplies the pickle of that type's provider, which it
can make because our providers carry no state. Everything else, and every other dynamic provider in the same
program, reaches the SDK's code untouched.

The engine runs it when the project's ``Pulumi.yaml`` names, as the ``pulumi-python`` provider, a folder whose
launcher runs this module: this directory, or a project's own ``chartmogul-host/``, which
``pulumi-chartmogul provider-host`` writes with the lines (:mod:`pulumi_chartmogul.resources.import_support` checks
them before a program registers an import)::

    plugins:
      providers:
        - name: pulumi-python
          path: <this directory>
"""
