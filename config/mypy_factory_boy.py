"""mypy plugin: calling a factory-boy factory gives the model instance it makes.

factory-boy 3.3 types `Factory[T].create()` and `.build()` as `T`, but `UserFactory()` goes
through its metaclass's `__call__`, which mypy does not read, so it comes out as `UserFactory`.
This hook gives such a call the `T` of the factory's `DjangoModelFactory[T]` base: what the
metaclass returns at run time (create or build, by the factory's strategy).
"""

from collections.abc import Callable

from mypy.maptype import map_instance_to_supertype
from mypy.nodes import TypeInfo
from mypy.plugin import FunctionContext, Plugin
from mypy.types import Instance, Type, TypeVarType, get_proper_type

BASE_FACTORY = "factory.base.BaseFactory"


def _made_type(ctx: FunctionContext) -> Type:
    factory = get_proper_type(ctx.default_return_type)
    if not isinstance(factory, Instance):
        return ctx.default_return_type
    base = next(info for info in factory.type.mro if info.fullname == BASE_FACTORY)
    (made,) = map_instance_to_supertype(factory, base).args
    if isinstance(get_proper_type(made), TypeVarType):
        return ctx.default_return_type
    return made


class FactoryBoyPlugin(Plugin):
    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        symbol = self.lookup_fully_qualified(fullname)
        if symbol and isinstance(symbol.node, TypeInfo) and symbol.node.has_base(BASE_FACTORY):
            return _made_type
        return None


def plugin(version: str) -> type[Plugin]:
    return FactoryBoyPlugin
