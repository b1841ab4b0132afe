"""One-row ORM reads whose SQL is compiled once per process.

Building and compiling a select_related + Exists(...) query costs Django several times what
PostgreSQL spends answering it. Such reads sit on the hottest paths: the signed-in
user and, without Redis, their session (every signed-in request), and a reply's parent (every
reply). CompiledGet builds
the query once, then each call only executes its SQL and turns the row into the same instance
QuerySet.get(pk=...) would: the same columns, value converters, select_related objects and
annotations, through the steps of Django's own ModelIterable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Stands in for the pk while compiling; replaced by the real one in the parameters of each call.
_PK_PLACEHOLDER = -730_173_017


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple
    pk_index: int  # where in params the pk goes
    model: type[Model]
    field_names: list[str]
    fields_slice: slice
    converters: list  # (column position, converters, expression)
    related_populators: list
    annotation_columns: dict[str, int]


def hot_cursor(connection):
    """A cursor for a read that runs on almost every request: prepared on PostgreSQL.

    (newsroom.postgresql; Python's sqlite3 already keeps each statement it has compiled.)
    """
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


class CompiledGet:
    """`CompiledGet(lambda: Model.objects.select_related(...)).get(pk)`: the instance or None."""

    def __init__(self, build: Callable[[], QuerySet]):
        self._build = build
        self._plans: dict[str, _Plan] = {}

    def get(self, pk, using: str = DEFAULT_DB_ALIAS) -> Model | None:
        plan = self._plans.get(using) or self._compile(using)
        connection = connections[using]
        params = list(plan.params)
        # As the ORM prepares a lookup's value: a malformed id fails here, as it would there.
        params[plan.pk_index] = plan.model._meta.pk.get_db_prep_value(pk, connection)
        with hot_cursor(connection) as cursor:
            cursor.execute(plan.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, converters, expression in plan.converters:
            for convert in converters:
                row[position] = convert(row[position], expression, connection)
        obj = plan.model.from_db(using, plan.field_names, row[plan.fields_slice])
        for populator in plan.related_populators:
            populator.populate(row, obj)
        for name, position in plan.annotation_columns.items():
            setattr(obj, name, row[position])
        return obj

    def _compile(self, using: str) -> _Plan:
        queryset = self._build().filter(pk=_PK_PLACEHOLDER)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        placeholder = queryset.model._meta.pk.get_db_prep_value(_PK_PLACEHOLDER, connections[using])
        where = [i for i, param in enumerate(params) if param == placeholder]
        if len(where) != 1:
            raise ValueError(f"CompiledGet: the pk is not one parameter of its SQL: {sql}")
        select, klass_info = compiler.select, compiler.klass_info
        columns = klass_info["select_fields"]
        fields_slice = slice(columns[0], columns[-1] + 1)
        converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        plan = _Plan(
            sql=sql,
            params=tuple(params),
            pk_index=where[0],
            model=klass_info["model"],
            field_names=[column[0].target.attname for column in select[fields_slice]],
            fields_slice=fields_slice,
            converters=[
                (position, tuple(convs), expression)
                for position, (convs, expression) in converters.items()
            ],
            related_populators=get_related_populators(klass_info, select, using),
            annotation_columns=dict(compiler.annotation_col_map),
        )
        self._plans[using] = plan
        return plan
