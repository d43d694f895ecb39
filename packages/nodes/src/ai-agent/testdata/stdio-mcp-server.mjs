// A real MCP server over stdio (official SDK), spawned by ai-agent-mcp.integration.test.ts.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'local-tools', version: '1.0.0' });
server.registerTool('upper', { description: 'Upper-cases a text', inputSchema: { text: z.string() } }, async ({ text }) => ({
  content: [{ type: 'text', text: JSON.stringify({ upper: text.toUpperCase(), secretSeen: process.env.OUTRUN_TEST_SECRET ?? null }) }],
}));
await server.connect(new StdioServerTransport());
