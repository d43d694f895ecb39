'use client';
/**
 * The connector catalog inside the palette: connector actions grouped by connector (PostgreSQL, Slack, …) under
 * their category, searchable by connector, action or credential, each group saying its version and the credential
 * it needs. Items add or drag exactly like built-in nodes; their forms are generated from the same JSON Schema.
 */
import type { DragEvent } from 'react';
import type { NodeTypeInfo } from '../../lib/api';
import { PaletteGroup, PaletteItem } from './palette-item';

type ConnectorInfo = NonNullable<NodeTypeInfo['connector']>;

export interface ConnectorGroup {
  connector: ConnectorInfo;
  actions: NodeTypeInfo[];
}

const CATEGORY_LABEL: Record<string, string> = { database: 'Databases', messaging: 'Messaging', communication: 'Communication', developer: 'Developer tools', other: 'Other' };
const CATEGORY_ORDER = ['database', 'messaging', 'communication', 'developer', 'other'];

/** Connector groups by category, filtered by `query` (connector name or label, action, credential type). */
export function groupConnectors(catalog: readonly NodeTypeInfo[], query: string): Array<[string, ConnectorGroup[]]> {
  const needle = query.trim().toLowerCase();
  const groups = new Map<string, ConnectorGroup>();
  for (const node of catalog) {
    const c = node.connector;
    if (!c) continue;
    const haystack = `${c.name} ${c.label} ${c.category} ${c.credential?.label ?? ''} ${node.label} ${node.type} ${node.description}`.toLowerCase();
    if (needle && !haystack.includes(needle)) continue;
    const group = groups.get(c.name) ?? { connector: c, actions: [] };
    group.actions.push(node);
    groups.set(c.name, group);
  }
  const byCategory = new Map<string, ConnectorGroup[]>();
  for (const group of groups.values()) byCategory.set(group.connector.category, [...(byCategory.get(group.connector.category) ?? []), group]);
  const rank = (c: string) => (CATEGORY_ORDER.includes(c) ? CATEGORY_ORDER.indexOf(c) : 99);
  return [...byCategory.entries()].sort(([a], [b]) => rank(a) - rank(b));
}

/** The action's own label without the connector prefix (`PostgreSQL: Query` → `Query`). */
const actionLabel = (node: NodeTypeInfo, connector: ConnectorInfo) => (node.label.startsWith(`${connector.label}: `) ? node.label.slice(connector.label.length + 2) : node.label);

export function ConnectorCatalog({ groups, readOnly, onAdd, onDragStart }: { groups: Array<[string, ConnectorGroup[]]>; readOnly: boolean; onAdd: (type: string) => void; onDragStart: (e: DragEvent, type: string) => void }) {
  if (groups.length === 0) return null;
  return (
    <section className="connector-catalog" aria-label="Connectors">
      {groups.map(([category, list]) => (
        <PaletteGroup key={category} title={CATEGORY_LABEL[category] ?? category}>
          {list.map(({ connector, actions }) => (
            <div key={connector.name} className="connector-group" data-connector={connector.name}>
              <div className="connector-head">
                <strong>{connector.label}</strong> <span className="muted">v{connector.version}</span>
              </div>
              {connector.credential ? (
                <div className="field-help" data-connector-credential={connector.credential.type} title={`Fields: ${connector.credential.fields.join(', ')} (secret: ${connector.credential.secretFields.join(', ') || 'none'})`}>
                  needs a {connector.credential.label}
                </div>
              ) : null}
              {actions.map((node) => (
                <PaletteItem key={node.type} itemKey={node.type} label={actionLabel(node, connector)} description={node.description} category="data" icon="⇄" readOnly={readOnly} onAdd={onAdd} onDragStart={onDragStart} />
              ))}
            </div>
          ))}
        </PaletteGroup>
      ))}
    </section>
  );
}
