import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

// Every 2xx response with a body names its schema, and no schema it reaches is an object without
// properties (what Swagger writes for an interface or `Object`); a free-form map says so with
// additionalProperties. Returns one line per problem.
export function undescribedResponses(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const seen = new Set<Schema>();
  const visit = (schema: Schema | undefined, where: string): void => {
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/components/schemas/', '');
      if (!schemas[name]) problems.push(`${where}: $ref to missing ${name}`);
      return visit(schemas[name], name);
    }
    const composed = Boolean(schema.allOf ?? schema.oneOf ?? schema.anyOf);
    const isObject = !composed && (schema.type === 'object' || !schema.type);
    if (isObject && !schema.properties && !schema.additionalProperties && !schema.enum && !schema.format)
      problems.push(`${where}: an object without properties`);
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
      visit(property, `${where}.${name}`);
    if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties as Schema, `${where}[*]`);
    if (schema.items) visit(schema.items as Schema, `${where}[]`);
    for (const part of [schema.allOf, schema.oneOf, schema.anyOf].flat()) if (part) visit(part as Schema, where);
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, { responses?: Record<string, Schema> }>)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!/^2\d\d$/.test(status) || status === '204') continue;
        const where = `${method.toUpperCase()} ${path} ${status}`;
        const content = Object.entries((response.content ?? {}) as Record<string, { schema?: Schema }>);
        if (content.length === 0) problems.push(`${where}: no schema`);
        for (const [type, media] of content) {
          if (!media.schema) problems.push(`${where} ${type}: no schema`);
          else visit(media.schema, where);
        }
      }
    }
  }
  return problems;
}

// Where a JSON value departs from its schema: a missing required property, a property the schema
// does not name, a wrong type, a null where none is allowed, a value outside an enum.
export function schemaMismatches(document: OpenAPIObject, value: unknown, schema: Schema, where = '$'): string[] {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const problems: string[] = [];
  const check = (v: unknown, s: Schema, at: string): void => {
    if (typeof s.$ref === 'string') return check(v, schemas[s.$ref.replace('#/components/schemas/', '')], at);
    if (v === null) {
      if (!s.nullable && !(Array.isArray(s.enum) && s.enum.includes(null))) problems.push(`${at}: null`);
      return;
    }
    if (Array.isArray(s.allOf)) return s.allOf.forEach((part) => check(v, part as Schema, at));
    if (Array.isArray(s.enum) && !s.enum.includes(v)) problems.push(`${at}: ${JSON.stringify(v)} not in the enum`);
    const type = s.type ?? (s.properties ? 'object' : undefined);
    const actual = Array.isArray(v) ? 'array' : typeof v;
    if (type === 'integer' ? !Number.isInteger(v) : type !== undefined && type !== actual)
      return void problems.push(`${at}: ${actual}, described as ${String(type)}`);
    if (
      s.format === 'date-time' &&
      !(typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /T.*(Z|[+-]\d\d:\d\d)$/.test(v))
    )
      problems.push(`${at}: ${JSON.stringify(v)} is not a date-time`);
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems)
        problems.push(`${at}: fewer than ${s.minItems} items`);
      if (typeof s.maxItems === 'number' && v.length > s.maxItems)
        problems.push(`${at}: more than ${s.maxItems} items`);
      if (s.items) v.forEach((item, i) => check(item, s.items as Schema, `${at}[${i}]`));
      return;
    }
    if (actual !== 'object') return;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const name of (s.required ?? []) as string[])
      if (!(name in (v as object))) problems.push(`${at}.${name}: missing`);
    for (const [name, item] of Object.entries(v as Record<string, unknown>)) {
      if (properties[name]) check(item, properties[name], `${at}.${name}`);
      else if (typeof s.additionalProperties === 'object')
        check(item, s.additionalProperties as Schema, `${at}.${name}`);
      else if (!s.additionalProperties) problems.push(`${at}.${name}: not described`);
    }
  };
  check(value, schema, where);
  return problems;
}
