import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

type Schema = Record<string, unknown>;

// Every 2xx response with a body names its schema, and no schema it reaches is an object without
// properties (what Swagger writes for an interface or `Object`); a free-form map says so with
// additionalProperties. Returns one line per problem.
export function undescribedResponses(document: OpenAPIObject): string[] {
  const { problems, visit } = schemaVisitor(document);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, { responses?: Record<string, Schema> }>)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!/^2\d\d$/.test(status) || status === '204') continue;
        visitContent(`${method.toUpperCase()} ${path} ${status}`, response.content, problems, visit);
      }
    }
  }
  return problems;
}

// Every request body names its schema, a JSON one as a $ref to a class (so the console can name its
// type), and no schema it reaches is an object without properties: a request DTO whose properties
// lack @ApiProperty is described as such an object (the Swagger CLI plugin is not run in ts-node).
export function undescribedRequestBodies(document: OpenAPIObject): string[] {
  const { problems, visit } = schemaVisitor(document);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, { requestBody?: Schema }>)) {
      if (!operation.requestBody) continue;
      const where = `${method.toUpperCase()} ${path} body`;
      const json = (operation.requestBody.content as Record<string, { schema?: Schema }> | undefined)?.[
        'application/json'
      ];
      if (json?.schema && typeof json.schema.$ref !== 'string') problems.push(`${where}: an inline JSON schema`);
      visitContent(where, operation.requestBody.content, problems, visit);
    }
  }
  return problems;
}

function visitContent(
  where: string,
  content: unknown,
  problems: string[],
  visit: (schema: Schema, where: string) => void,
): void {
  const media = Object.entries((content ?? {}) as Record<string, { schema?: Schema }>);
  if (media.length === 0) problems.push(`${where}: no schema`);
  for (const [type, { schema }] of media) {
    if (!schema) problems.push(`${where} ${type}: no schema`);
    else visit(schema, where);
  }
}

function schemaVisitor(document: OpenAPIObject): {
  problems: string[];
  visit: (schema: Schema, where: string) => void;
} {
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
  return { problems, visit };
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

// The properties a class validates that its schema does not name: a property with validators but no
// @ApiProperty is simply left out of the document. Checked, by name, for every schema whose class has
// validators (the request bodies and the classes they nest), with class-validator's own record of
// the decorators; a mapped type (PartialType) is checked through the class it copies.
export function unlistedValidatedProperties(document: OpenAPIObject): string[] {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const storage = getMetadataStorage();
  // The map is private; a class-validator that renames it fails here rather than checking nothing.
  const byTarget = (storage as unknown as { validationMetadatas?: unknown }).validationMetadatas;
  // (Not `instanceof Map`: class-validator's Map comes from outside jest's sandbox.)
  if (typeof (byTarget as Map<unknown, unknown> | undefined)?.keys !== 'function')
    throw new Error('class-validator keeps its metadata elsewhere now');
  const classes = [...(byTarget as Map<unknown, unknown>).keys()].filter((k) => typeof k === 'function');
  const problems: string[] = [];
  for (const name of Object.keys(schemas).sort()) {
    const described = new Set(Object.keys((schemas[name]?.properties ?? {}) as Schema));
    for (const target of classes.filter((c) => (c as { name: string }).name === name)) {
      const validated = storage.getTargetValidationMetadatas(target as new () => unknown, '', true, false);
      for (const property of new Set(validated.map((m) => m.propertyName)))
        if (!described.has(property)) problems.push(`${name}.${property}: validated but not described`);
    }
  }
  return problems;
}
