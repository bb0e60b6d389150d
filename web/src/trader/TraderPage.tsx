import { AccountPanels } from "./Account.js";
import { OptionChain } from "./OptionChain.js";
import { Ticket } from "./Ticket.js";

/** The trader's page: the chain, the ticket, and the wallet's positions, orders and fills. */
export function TraderPage() {
  return (
    <div class="grid trader">
      <OptionChain />
      <Ticket />
      <AccountPanels />
    </div>
  );
}
