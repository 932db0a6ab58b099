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
