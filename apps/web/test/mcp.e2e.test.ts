/**
 * MCP in the editor, in a real browser: a workflow is exposed as an MCP tool through the "MCP tool" panel
 * (expose, tool name, input schema), published and activated, then called with the official MCP SDK client
 * against the same gateway; the ai-agent node's generated form shows its MCP servers. Screenshots of both.
 */
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';

const ui = useBrowserStack({ viewport: { width: 1280, height: 900 } });

const saved = () => ui.page.locator('[data-testid=save-state][data-state=saved]').waitFor();

describe('MCP in the editor', () => {
  it('exposes a workflow as an MCP tool from the side panel; an MCP client then calls it', async () => {
    const wf = await ui.stack.api.createWorkflow(ui.stack.workspaceId, {
      name: 'Greet a customer',
      triggers: [{ id: 'mcp-e2e-manual', type: 'manual' }],
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'mcp-e2e-manual' } },
        { id: 'greet', type: 'set', position: { x: 260, y: 0 }, data: { keepInput: false, fields: [{ name: 'greeting', value: 'Hello {{ trigger.name }}' }] } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'greet' }],
    });
    await ui.page.goto(`${ui.stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    const panel = ui.page.getByRole('region', { name: 'MCP tool' });
    await panel.waitFor();
    await panel.getByLabel('Expose as MCP tool').check();
    await panel.getByLabel('Tool name').fill('greet_customer');
    await panel.getByLabel('Description (what the model reads)').fill('Greets a customer by name');
    const schema = panel.getByLabel('Input schema (JSON Schema, type object)');
    await schema.fill('{"type": "array"}');
    await schema.blur();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('"type": "object"');
    await schema.fill(JSON.stringify({ type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] }, null, 2));
    await schema.blur();
    await expect.poll(() => panel.getByRole('alert').count()).toBe(0);
    expect(await panel.getByLabel('MCP endpoint').inputValue()).toContain(`/api/workspaces/${ui.stack.workspaceId}/mcp`);
    await saved();
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'mcp-tool-settings.png') });

    const draft = (await ui.stack.api.getDraft(ui.stack.workspaceId, wf.id)).draft;
    expect(draft?.settings).toMatchObject({ mcp: { expose: true, toolName: 'greet_customer', description: 'Greets a customer by name' }, inputSchema: { required: ['name'] } });
    await ui.stack.api.publishWorkflow(ui.stack.workspaceId, wf.id);
    await ui.stack.api.activateWorkflow(ui.stack.workspaceId, wf.id);

    const client = new Client({ name: 'e2e-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${ui.stack.apiUrl}/api/workspaces/${ui.stack.workspaceId}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${ui.stack.apiKey}` } },
    }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('greet_customer');
      const result = await client.callTool({ name: 'greet_customer', arguments: { name: 'Ada' } });
      expect(result.structuredContent).toEqual({ greeting: 'Hello Ada' });
    } finally {
      await client.close();
    }
  });

  it('shows the ai-agent node’s MCP servers in its generated form', async () => {
    const wf = await ui.stack.api.createWorkflow(ui.stack.workspaceId, {
      name: 'Order assistant',
      triggers: [{ id: 'mcp-e2e-agent', type: 'manual' }],
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 'mcp-e2e-agent' } },
        {
          id: 'agent', type: 'ai-agent', position: { x: 280, y: 0 },
          data: {
            instructions: 'Answer questions about orders with the order tools.',
            input: '{{ trigger.question }}',
            mcpServers: [{ type: 'http', name: 'orders', url: 'https://mcp.example.com/mcp', allowedTools: ['lookup_order'], timeoutMs: 30000 }],
          },
        },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'agent' }],
    });
    await ui.page.goto(`${ui.stack.webUrl}/workflows/${encodeURIComponent(wf.id)}`);
    await ui.page.locator('.react-flow__node[data-id="agent"] .wf-node-title').click();
    // The field is generated from the node's JSON Schema (an array of http | stdio servers: a JSON editor).
    await ui.page.getByText(/mcp servers/i).first().waitFor();
    const holding = () => ui.page.locator('textarea').evaluateAll((els) => els.filter((e) => (e as HTMLTextAreaElement).value.includes('https://mcp.example.com/mcp')).length);
    await expect.poll(holding).toBe(1);
    await ui.page.locator('textarea').evaluateAll((els) => els.find((e) => (e as HTMLTextAreaElement).value.includes('mcp.example.com'))?.scrollIntoView({ block: 'center' }));
    await ui.page.screenshot({ path: join(SCREENSHOTS, 'ai-agent-mcp-servers.png') });
  });
});
