using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadExchange.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Buying : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PersonHash",
                table: "Leads",
                type: "character varying(64)",
                unicode: false,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SoldExclusive",
                table: "Leads",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "BuyerWebhooks",
                columns: table => new
                {
                    AdvertiserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Secret = table.Column<string>(type: "character varying(80)", unicode: false, maxLength: 80, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    ConsecutiveFailures = table.Column<int>(type: "integer", nullable: false),
                    DisabledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DisabledReason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BuyerWebhooks", x => x.AdvertiserId);
                });

            migrationBuilder.CreateTable(
                name: "LeadOrders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AdvertiserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    NicheCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RegionCodes = table.Column<string>(type: "character varying(550)", unicode: false, maxLength: 550, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", unicode: false, maxLength: 3, nullable: false),
                    MaxPrice = table.Column<long>(type: "bigint", nullable: false),
                    MinTemperature = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Exclusive = table.Column<bool>(type: "boolean", nullable: false),
                    DailyCap = table.Column<int>(type: "integer", nullable: true),
                    MonthlyCap = table.Column<int>(type: "integer", nullable: true),
                    Budget = table.Column<long>(type: "bigint", nullable: true),
                    Spent = table.Column<long>(type: "bigint", nullable: false),
                    ScheduleDays = table.Column<int>(type: "integer", nullable: false),
                    HourFrom = table.Column<int>(type: "integer", nullable: false),
                    HourTo = table.Column<int>(type: "integer", nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    PausedReason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    PausedAutomatically = table.Column<bool>(type: "boolean", nullable: false),
                    PausedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastWonAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LeadsBought = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadOrders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LeadSales",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LeadId = table.Column<Guid>(type: "uuid", nullable: false),
                    BuyerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    SellerId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: true),
                    Channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Exclusive = table.Column<bool>(type: "boolean", nullable: false),
                    NicheCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RegionCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Temperature = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", unicode: false, maxLength: 3, nullable: false),
                    Price = table.Column<long>(type: "bigint", nullable: false),
                    HoldId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonHash = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: true),
                    SoldAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DisputeUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    SaleAmount = table.Column<long>(type: "bigint", nullable: true),
                    RefuseReason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    DeferredUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Assignee = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ConvertedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadSales", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WebhookDeliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AdvertiserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    SaleId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeliveryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    Url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: true),
                    Error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    DurationMs = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookDeliveries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LeadOrders_AdvertiserId_CreatedAt",
                table: "LeadOrders",
                columns: new[] { "AdvertiserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LeadOrders_NicheCode_Status",
                table: "LeadOrders",
                columns: new[] { "NicheCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_LeadSales_BuyerId_NicheCode_PersonHash",
                table: "LeadSales",
                columns: new[] { "BuyerId", "NicheCode", "PersonHash" });

            migrationBuilder.CreateIndex(
                name: "IX_LeadSales_BuyerId_SoldAt",
                table: "LeadSales",
                columns: new[] { "BuyerId", "SoldAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LeadSales_LeadId_BuyerId",
                table: "LeadSales",
                columns: new[] { "LeadId", "BuyerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LeadSales_OrderId",
                table: "LeadSales",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_LeadSales_SellerId_SoldAt",
                table: "LeadSales",
                columns: new[] { "SellerId", "SoldAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_AdvertiserId_At",
                table: "WebhookDeliveries",
                columns: new[] { "AdvertiserId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_SaleId",
                table: "WebhookDeliveries",
                column: "SaleId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BuyerWebhooks");

            migrationBuilder.DropTable(
                name: "LeadOrders");

            migrationBuilder.DropTable(
                name: "LeadSales");

            migrationBuilder.DropTable(
                name: "WebhookDeliveries");

            migrationBuilder.DropColumn(
                name: "PersonHash",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "SoldExclusive",
                table: "Leads");
        }
    }
}
