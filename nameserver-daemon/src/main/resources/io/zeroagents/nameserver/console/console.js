// The ZeroAgents console: polls the JSON API and renders the agents, their links as a Cytoscape.js
// graph, and tables. Every text from the API goes into the page as text, never as markup: agent
// names and endpoints are chosen by whoever runs agents.
'use strict';

(function () {
  const REFRESH_MS = 1000;
  // The graph panel's least height (console.css) and its margin around the picture; the room an
  // agent takes in a column (circle and label), a column of agents and the gap between levels,
  // which leaves room for a link's label.
  const GRAPH_HEIGHT = 380;
  const GRAPH_PADDING = 30;
  const ROW_HEIGHT = 80;
  const COLUMN_WIDTH = 170;
  const LEVEL_GAP = 300;
  const ADMIN_HEADER = 'X-ZeroAgents-Console';
  // The console's token for this start, which it wrote into the page; only its own pages can read it.
  const TOKEN = document.querySelector('meta[name="zeroagents-token"]').content;

  // Exposed for tests and for curious users in the browser's developer tools.
  const consoleState = { cy: null, topology: '', snapshot: null, refreshes: 0 };
  window.zeroagentsConsole = consoleState;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function rate(perSecond) {
    if (perSecond < 0.05) {
      return '0';
    }
    return perSecond < 10 ? perSecond.toFixed(1) : String(Math.round(perSecond));
  }

  function millis(ms) {
    if (ms === null || ms === undefined) {
      return '–';
    }
    if (ms < 1) {
      return ms === 0 ? '0' : ms.toFixed(3) + ' ms';
    }
    return ms < 1000 ? ms.toFixed(ms < 10 ? 1 : 0) + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  // The host's process, or the tag that stands for its host (never its id, which the API keeps to itself).
  function hostOf(agent) {
    return agent.process || 'host ' + agent.host;
  }

  // In a federation, which name server's host the agent registered through.
  function placeOf(agent) {
    return agent.nameServerHost ? hostOf(agent) + ' via ' + agent.nameServerHost : hostOf(agent);
  }

  // A stable colour per host, so agents of one process share one.
  function colour(key) {
    let hash = 0;
    for (let i = 0; i < key.length; i++) {
      hash = (hash * 31 + key.charCodeAt(i)) | 0;
    }
    return 'hsl(' + (Math.abs(hash) % 360) + ', 55%, 55%)';
  }

  function setStatus(text, stale) {
    const status = document.getElementById('status');
    status.textContent = text;
    status.classList.toggle('stale', stale);
  }

  function renderHeader(snapshot) {
    document.getElementById('nameserver').textContent = snapshot.nameServer;
    const mode = document.getElementById('mode');
    mode.textContent = snapshot.admin ? 'admin' : 'read-only';
    mode.classList.toggle('admin', snapshot.admin);
    document.body.classList.toggle('admin', snapshot.admin);
  }

  // Sets a node's text only when it changed, so a refresh keeps what the user selected.
  function setText(node, text) {
    const value = String(text);
    if (node.textContent !== value) {
      node.textContent = value;
    }
  }

  // Keeps one row per key in a table body, in the order given: rows are made once and updated in
  // place, so a refresh neither flickers nor loses the user's selection.
  function syncRows(body, items, keyOf, create, update) {
    const existing = new Map();
    for (const row of body.rows) {
      existing.set(row.dataset.key, row);
    }
    const wanted = new Set();
    let previous = null;
    for (const item of items) {
      const key = keyOf(item);
      wanted.add(key);
      let row = existing.get(key);
      if (!row) {
        row = create(item);
        row.dataset.key = key;
      }
      update(row, item);
      const next = previous ? previous.nextSibling : body.firstChild;
      if (row !== next) {
        body.insertBefore(row, next);
      }
      previous = row;
    }
    for (const [key, row] of existing) {
      if (!wanted.has(key)) {
        row.remove();
      }
    }
  }

  function socketRates(agent, socket) {
    return agent.reported ? ' · in ' + rate(socket.receivedPerSecond) + '/s, out ' + rate(socket.sentPerSecond)
      + '/s' + (socket.errors > 0 ? ', ' + socket.errors + ' errors' : '') : '';
  }

  // The list is rebuilt only when the sockets themselves change; their rates are updated in place.
  function updateSockets(cell, agent) {
    const shape = JSON.stringify(agent.sockets.map((s) => [s.alias, s.pattern, s.role, s.endpoint]))
      + agent.reported;
    if (cell.dataset.shape !== shape) {
      cell.dataset.shape = shape;
      const list = element('ul', 'sockets');
      for (const socket of agent.sockets) {
        const item = element('li');
        item.dataset.socket = socket.alias;
        item.append(element('strong', null, socket.alias), ' ' + socket.pattern + ' ' + socket.role + ' ',
          element('span', 'endpoint', socket.endpoint), element('span', 'rates'));
        list.append(item);
      }
      cell.replaceChildren(list);
      if (!agent.reported) {
        cell.append(element('div', 'unreported', 'no traffic report (its host reports to another name server)'));
      }
    }
    const rates = cell.querySelectorAll('.rates');
    agent.sockets.forEach((socket, i) => setText(rates[i], socketRates(agent, socket)));
  }

  function shutdownButton(agent) {
    const button = element('button', 'shutdown', 'Shut down');
    button.type = 'button';
    button.addEventListener('click', async () => {
      if (!window.confirm('Shut agent ' + agent.name + ' down?')) {
        return;
      }
      button.disabled = true;
      try {
        const response = await fetch('api/agents/' + encodeURIComponent(agent.name) + '/shutdown', {
          method: 'POST', headers: { [ADMIN_HEADER]: TOKEN },
        });
        const body = await response.json();
        setStatus(response.ok ? 'Asked ' + agent.name + ' to shut down' : body.error, !response.ok);
      } catch (e) {
        setStatus('Could not ask ' + agent.name + ' to shut down: ' + e.message, true);
        button.disabled = false;
      }
    });
    return button;
  }

  const AGENT_COLUMNS = ['name', 'host', 'sockets', 'in', 'out', 'errors', 'dropped', 'handler', 'lag', 'lease',
    'admin'];

  function createAgentRow(agent) {
    const row = element('tr');
    row.dataset.agent = agent.name;
    for (const column of AGENT_COLUMNS) {
      const cell = element('td', { admin: 'admin-only', name: 'name', host: 'host', sockets: 'sockets-cell' }[column]
        || 'num');
      cell.dataset.column = column;
      row.append(cell);
    }
    return row;
  }

  function updateAgentRow(row, agent, admin) {
    const cells = {};
    for (const cell of row.cells) {
      cells[cell.dataset.column] = cell;
    }
    setText(cells.name, agent.running ? agent.name : agent.name + ' (stopped)');
    setText(cells.host, placeOf(agent));
    cells.host.title = 'agent host ' + agent.host + ', control ' + agent.controlEndpoint;
    updateSockets(cells.sockets, agent);
    setText(cells.in, rate(agent.receivedPerSecond));
    setText(cells.out, rate(agent.sentPerSecond));
    setText(cells.errors, agent.errors);
    cells.errors.classList.toggle('bad', agent.errors > 0);
    setText(cells.dropped, agent.dropped);
    cells.dropped.classList.toggle('bad', agent.dropped > 0);
    setText(cells.handler, agent.handled > 0 ? millis(agent.handlerMeanMs) : '–');
    setText(cells.lag, agent.timerTicks > 0 ? millis(agent.timerLagMaxMs) : '–');
    setText(cells.lease, millis(agent.leaseAgeMs));
    if (admin && !cells.admin.firstChild) {
      cells.admin.append(shutdownButton(agent));
    }
  }

  function renderAgents(snapshot) {
    syncRows(document.querySelector('#agents tbody'), snapshot.agents, (agent) => agent.name, createAgentRow,
      (row, agent) => updateAgentRow(row, agent, snapshot.admin));
    document.getElementById('agent-count').textContent = '(' + snapshot.agents.length + ')';
    document.getElementById('no-agents').hidden = snapshot.agents.length > 0;
  }

  function renderLinks(snapshot) {
    syncRows(document.querySelector('#links tbody'), snapshot.links, (link) => link.id, (link) => {
      const row = element('tr');
      row.dataset.link = link.id;
      const [from, to] = link.flow === 'to-client' ? [link.server, link.client] : [link.client, link.server];
      row.dataset.from = from;
      row.dataset.to = to;
      row.append(element('td', 'name', from + (link.flow === 'both' ? ' ⇄' : '')), element('td', 'name', to),
        element('td', null, link.pattern), element('td', 'endpoint', link.endpoint), element('td', 'num'));
      return row;
    }, (row, link) => setText(row.cells[4], rate(link.perSecond)));
    document.getElementById('link-count').textContent = '(' + snapshot.links.length + ')';
    document.getElementById('no-links').hidden = snapshot.links.length > 0;
  }

  function graphElements(snapshot) {
    const nodes = snapshot.agents.map((agent) => ({
      group: 'nodes',
      data: {
        id: agent.name, label: agent.name, colour: colour(hostOf(agent)),
        border: agent.errors > 0 || agent.dropped > 0 ? '#c62828' : '#ffffff',
      },
    }));
    const names = new Set(snapshot.agents.map((agent) => agent.name));
    const edges = snapshot.links.filter((link) => names.has(link.client) && names.has(link.server)).map((link) => {
      const toClient = link.flow === 'to-client';
      return {
        group: 'edges',
        data: {
          id: link.id,
          source: toClient ? link.server : link.client,
          target: toClient ? link.client : link.server,
          label: (toClient ? link.serverSocket : link.clientSocket) + ' · ' + rate(link.perSecond) + '/s',
          sourceArrow: link.flow === 'both' ? 'triangle' : 'none',
        },
      };
    });
    return nodes.concat(edges);
  }

  function createGraph() {
    return window.cytoscape({
      container: document.getElementById('graph'),
      wheelSensitivity: 0.3,
      // A few agents should not fill the panel with giant circles; many may need a small scale,
      // which fitGraph keeps readable by making the panel taller first.
      minZoom: 0.05,
      maxZoom: 1.5,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)', 'label': 'data(label)', 'color': '#1d2430',
            'text-valign': 'bottom', 'text-margin-y': 6, 'font-size': 14, 'font-weight': 600,
            'width': 40, 'height': 40, 'border-width': 3, 'border-color': 'data(border)',
          },
        },
        {
          selector: 'edge',
          style: {
            'curve-style': 'bezier', 'width': 2, 'line-color': '#7d8aa3',
            'target-arrow-shape': 'triangle', 'target-arrow-color': '#7d8aa3',
            'source-arrow-shape': 'data(sourceArrow)', 'source-arrow-color': '#7d8aa3',
            'label': 'data(label)', 'font-size': 12, 'color': '#394356',
            'text-rotation': 'autorotate', 'text-background-color': '#fbfcfe', 'text-background-opacity': 1,
            'text-background-padding': 2,
          },
        },
      ],
    });
  }

  // Messages flow left to right: agents nothing sends to first (a pipeline reads as one), then
  // the agents they send to, level by level; without links, one level. A level with more agents
  // than fit one above the other in the window is laid out in several columns, so that 50 agents
  // still fit the window at a readable scale.
  function layoutFor(cy) {
    const depthOf = new Map();
    if (cy.edges().nonempty()) {
      const roots = cy.nodes().roots();
      cy.elements().bfs({
        roots: roots.nonempty() ? roots : cy.nodes().first(), directed: true,
        visit: (node, edge, from, i, depth) => { depthOf.set(node.id(), depth); },
      });
    }
    const deepest = Math.max(-1, ...depthOf.values());
    const levels = new Map();
    for (const node of cy.nodes().sort((x, y) => x.id().localeCompare(y.id()))) {
      // Agents the walk did not reach (a second component, no links) form a level after the others.
      const depth = depthOf.has(node.id()) ? depthOf.get(node.id()) : deepest + 1;
      if (!levels.has(depth)) {
        levels.set(depth, []);
      }
      levels.get(depth).push(node.id());
    }
    const perColumn = Math.max(1, Math.floor((graphHeightAvailable() - 2 * GRAPH_PADDING) / ROW_HEIGHT));
    const positions = {};
    let x = 0;
    // Each level in the order of the agents that send to it (a hub's workers together), so that
    // links cross as little as they can.
    const placed = new Map();
    const rank = (id) => {
      const from = cy.getElementById(id).incomers('node').map((n) => placed.get(n.id())).filter((r) => r !== undefined);
      return from.length === 0 ? Number.MAX_SAFE_INTEGER : from.reduce((sum, r) => sum + r, 0) / from.length;
    };
    for (const depth of [...levels.keys()].sort((p, q) => p - q)) {
      const ids = levels.get(depth);
      const ranks = new Map(ids.map((id) => [id, rank(id)]));
      ids.sort((p, q) => ranks.get(p) - ranks.get(q) || p.localeCompare(q));
      const base = placed.size;
      ids.forEach((id, i) => placed.set(id, base + i));
      const columns = Math.ceil(ids.length / perColumn);
      const rows = Math.ceil(ids.length / columns);
      ids.forEach((id, i) => {
        positions[id] = { x: x + Math.floor(i / rows) * COLUMN_WIDTH, y: (i % rows) * ROW_HEIGHT };
      });
      x += (columns - 1) * COLUMN_WIDTH + LEVEL_GAP;
    }
    return { name: 'preset', positions: (node) => positions[node.id()], fit: false };
  }

  // The panel's height that keeps it inside the window, below what is above it; at least its least.
  function graphHeightAvailable() {
    const container = document.getElementById('graph');
    const top = container.getBoundingClientRect().top + window.scrollY;
    return Math.max(GRAPH_HEIGHT, window.innerHeight - top - 24);
  }

  function renderGraph(snapshot) {
    if (!window.cytoscape) {
      document.getElementById('graph').textContent = 'The graph library did not load.';
      return;
    }
    if (!consoleState.cy) {
      consoleState.cy = createGraph();
    }
    const cy = consoleState.cy;
    const wanted = graphElements(snapshot);
    const ids = new Set(wanted.map((e) => e.data.id));
    cy.batch(() => {
      cy.elements().filter((e) => !ids.has(e.id())).remove();
      for (const e of wanted) {
        const existing = cy.getElementById(e.data.id);
        if (existing.nonempty()) {
          existing.data(e.data);
        } else {
          cy.add(e);
        }
      }
    });
    // Lay out again only when agents or links come or go, so the picture holds still otherwise.
    const topology = [...ids].sort().join('\n');
    if (topology !== consoleState.topology) {
      consoleState.topology = topology;
      cy.layout(layoutFor(cy)).run();
      fitGraph(cy);
    }
  }

  // Every node and label in view with a margin, never larger than life. The panel is as tall as
  // the picture needs at the scale the panel's width allows, up to the window's height.
  function fitGraph(cy) {
    const container = document.getElementById('graph');
    const box = cy.elements().boundingBox({ includeLabels: true });
    const zoom = Math.min(1, (container.clientWidth - 2 * GRAPH_PADDING) / Math.max(1, box.w));
    const height = Math.min(graphHeightAvailable(),
        Math.max(GRAPH_HEIGHT, Math.ceil(box.h * zoom + 2 * GRAPH_PADDING)));
    if (container.clientHeight !== height) {
      container.style.height = height + 'px';
      cy.resize();
    }
    cy.fit(cy.elements(), GRAPH_PADDING);
    if (cy.zoom() > 1) {
      cy.zoom(1);
      cy.center();
    }
  }

  function render(snapshot) {
    consoleState.snapshot = snapshot;
    renderHeader(snapshot);
    renderAgents(snapshot);
    renderLinks(snapshot);
    renderGraph(snapshot);
    consoleState.refreshes++;
    document.body.dataset.refreshes = String(consoleState.refreshes);
  }

  async function refresh() {
    try {
      const response = await fetch('api/snapshot', { cache: 'no-store' });
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      const snapshot = await response.json();
      render(snapshot);
      setStatus('Updated ' + new Date(snapshot.timeMs).toLocaleTimeString(), false);
    } catch (e) {
      setStatus('Cannot reach the console API (' + e.message + '); retrying', true);
    } finally {
      window.setTimeout(refresh, REFRESH_MS);
    }
  }

  refresh();
}());
