// The ZeroAgents console: polls the JSON API and renders the agents, their links as a Cytoscape.js
// graph, and tables. Every text from the API goes into the page as text, never as markup: agent
// names and endpoints are chosen by whoever runs agents.
'use strict';

(function () {
  const REFRESH_MS = 1000;
  const ADMIN_HEADER = 'X-ZeroAgents-Console';

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

  function hostOf(agent) {
    return agent.process || agent.hostId.slice(0, 8);
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

  function socketList(agent) {
    const list = element('ul', 'sockets');
    for (const socket of agent.sockets) {
      const item = element('li');
      item.dataset.socket = socket.alias;
      item.append(element('strong', null, socket.alias), ' ' + socket.pattern + ' ' + socket.role + ' ',
        element('span', 'endpoint', socket.endpoint));
      if (agent.reported) {
        item.append(' · in ' + rate(socket.receivedPerSecond) + '/s, out ' + rate(socket.sentPerSecond) + '/s'
          + (socket.errors > 0 ? ', ' + socket.errors + ' errors' : ''));
      }
      list.append(item);
    }
    return list;
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
          method: 'POST', headers: { [ADMIN_HEADER]: 'shutdown' },
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

  function renderAgents(snapshot) {
    const body = document.querySelector('#agents tbody');
    const rows = [];
    for (const agent of snapshot.agents) {
      const row = element('tr');
      row.dataset.agent = agent.name;
      const name = element('td', 'name', agent.name);
      if (!agent.running) {
        name.append(' ', element('span', 'paused', '(stopped)'));
      }
      const host = element('td', null, hostOf(agent));
      host.title = 'agent host ' + agent.hostId + ', control ' + agent.controlEndpoint;
      const sockets = element('td');
      sockets.append(socketList(agent));
      if (!agent.reported) {
        sockets.append(element('div', 'unreported', 'no traffic report (its host reports to another name server)'));
      }
      const errors = element('td', 'num' + (agent.errors > 0 ? ' bad' : ''), agent.errors);
      const dropped = element('td', 'num' + (agent.dropped > 0 ? ' bad' : ''), agent.dropped);
      const actions = element('td', 'admin-only');
      if (snapshot.admin) {
        actions.append(shutdownButton(agent));
      }
      row.append(name, host, sockets, element('td', 'num', rate(agent.receivedPerSecond)),
        element('td', 'num', rate(agent.sentPerSecond)), errors, dropped,
        element('td', 'num', agent.handled > 0 ? millis(agent.handlerMeanMs) : '–'),
        element('td', 'num', agent.timerTicks > 0 ? millis(agent.timerLagMaxMs) : '–'),
        element('td', 'num', millis(agent.leaseAgeMs)), actions);
      rows.push(row);
    }
    body.replaceChildren(...rows);
    document.getElementById('agent-count').textContent = '(' + snapshot.agents.length + ')';
    document.getElementById('no-agents').hidden = snapshot.agents.length > 0;
  }

  function renderLinks(snapshot) {
    const body = document.querySelector('#links tbody');
    const rows = snapshot.links.map((link) => {
      const row = element('tr');
      row.dataset.link = link.id;
      const [from, to] = link.flow === 'to-client' ? [link.server, link.client] : [link.client, link.server];
      const arrow = link.flow === 'both' ? ' ⇄' : '';
      row.append(element('td', 'name', from + arrow), element('td', 'name', to),
        element('td', null, link.pattern), element('td', 'endpoint', link.endpoint),
        element('td', 'num', rate(link.perSecond)));
      row.dataset.from = from;
      row.dataset.to = to;
      return row;
    });
    body.replaceChildren(...rows);
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
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)', 'label': 'data(label)', 'color': '#1d2430',
            'text-valign': 'bottom', 'text-margin-y': 6, 'font-size': 13, 'font-weight': 600,
            'width': 34, 'height': 34, 'border-width': 3, 'border-color': 'data(border)',
          },
        },
        {
          selector: 'edge',
          style: {
            'curve-style': 'bezier', 'width': 2, 'line-color': '#7d8aa3',
            'target-arrow-shape': 'triangle', 'target-arrow-color': '#7d8aa3',
            'source-arrow-shape': 'data(sourceArrow)', 'source-arrow-color': '#7d8aa3',
            'label': 'data(label)', 'font-size': 11, 'color': '#394356',
            'text-rotation': 'autorotate', 'text-background-color': '#fbfcfe', 'text-background-opacity': 1,
            'text-background-padding': 2,
          },
        },
      ],
    });
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
      const layout = cy.nodes().length > 1 ? { name: 'cose', animate: false, padding: 40, randomize: true }
        : { name: 'grid', padding: 40 };
      cy.layout(layout).run();
      cy.fit(undefined, 40);
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
